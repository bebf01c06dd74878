import { describe, expect, it } from 'vitest';
import { findBrowser } from './browser.ts';

const noElectron = () => ({ missing: 'Electron failed to install correctly' });

describe('findBrowser', () => {
  it('takes CHROMIUM_PATH first, then an installed Chromium, then Electron', () => {
    const everything = () => true;
    expect(findBrowser({ CHROMIUM_PATH: '/opt/chrome' }, everything, noElectron)).toEqual({ kind: 'chromium', executable: '/opt/chrome' });
    expect(findBrowser({}, (file) => file === '/usr/bin/chromium', noElectron)).toEqual({ kind: 'chromium', executable: '/usr/bin/chromium' });
    expect(
      findBrowser(
        {},
        () => false,
        () => ({ binary: '/e/electron' }),
      ),
    ).toEqual({ kind: 'electron', executable: '/e/electron' });
  });

  it('names what to install when there is no browser', () => {
    expect(() => findBrowser({}, () => false, noElectron)).toThrow(
      /install Chromium \(Debian\/Ubuntu: `apt-get install chromium`.*CHROMIUM_PATH.*npm install electron.*Electron failed to install correctly/,
    );
    expect(() => findBrowser({ CHROMIUM_PATH: '/nope' }, () => false, noElectron)).toThrow('CHROMIUM_PATH is /nope, but there is no file there');
  });
});
