/**
 * The flags every headless Chromium GaitLab starts is given: `gaitlab record`'s (browser.ts) and
 * the e2e tests' (playwright.config.ts). Its own module, free of imports, so the Playwright config
 * can share the one list without loading the recorder.
 *
 * Software GL (SwiftShader) on every machine: the same pixels with or without a GPU, and no GPU
 * process that a headless server lacks. The rest keeps a headless run quiet and offline.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
