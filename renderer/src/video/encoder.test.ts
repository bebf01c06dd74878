import { describe, expect, it, vi } from 'vitest';
import type * as Mediabunny from 'mediabunny';

// What this browser can encode, as VideoEncoder.isConfigSupported would answer through Mediabunny.
const encodable = new Set<string>();
vi.mock('mediabunny', async (original) => ({ ...(await original<typeof Mediabunny>()), canEncodeVideo: async (codec: string) => encodable.has(codec) }));
const { chooseEncoding } = await import('./encoder.ts');

describe('chooseEncoding', () => {
  it('keeps the container asked for when its codec encodes', async () => {
    encodable.clear();
    encodable.add('avc').add('vp9');
    expect(await chooseEncoding('mp4', 1280, 720, 30)).toEqual({ container: 'mp4', codec: 'avc' });
    expect(await chooseEncoding('webm', 1280, 720, 30)).toEqual({ container: 'webm', codec: 'vp9' });
  });

  it('falls back from H.264 to WebM/VP9 and says why', async () => {
    encodable.clear();
    encodable.add('vp9');
    expect(await chooseEncoding('mp4', 1920, 1080, 125)).toEqual({
      container: 'webm',
      codec: 'vp9',
      fallback: 'this browser cannot encode H.264 (avc) video at 1920x1080 (VideoEncoder.isConfigSupported says no); wrote WebM/VP9 instead',
    });
  });

  it('fails clearly when nothing encodes', async () => {
    encodable.clear();
    await expect(chooseEncoding('webm', 640, 360, 20)).rejects.toThrow('this browser cannot encode VP9 video at 640x360');
    await expect(chooseEncoding('mp4', 640, 360, 20)).rejects.toThrow('cannot encode H.264 (avc)');
  });
});
