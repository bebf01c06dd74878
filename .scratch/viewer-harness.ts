import { startServer } from '../main/serve/server.ts';
import { fakeLauncher } from '../main/lab/test-fake-trainer.ts';
import { makeEnv } from '../sim/index.ts';
import { chromium } from '@playwright/test';

const envId = process.argv[2] ?? 'Pendulum-v1';
const fake = fakeLauncher({ exitOnStop: true });
const server = await startServer({ port: 0, runsDir: '/tmp/gl-harness', launcher: fake.launcher });
const run = server.lab.createRun({ env: envId, algo: 'ppo', seed: 1, totalSteps: 100000, hparams: {} });
const env = makeEnv(envId);
function episode(update: number) {
  env.reset({ seed: update });
  const frames: number[] = [...env.frame()];
  const rewards: number[] = [];
  const n = env.spec.actionSpace.kind === 'box' ? env.spec.actionSpace.size : 1;
  for (let t = 0; t < 300; t++) {
    const a = Array.from({ length: n }, () => Math.random() * 2 - 1);
    const r = env.step(a);
    frames.push(...env.frame());
    rewards.push(r.reward);
    if (r.terminated || r.truncated) break;
  }
  return { envId, dtSeconds: env.spec.dtSeconds, numBodies: env.scene.bodies.length, frames, rewards, update, step: update * 2048, episodeReturn: rewards.reduce((a, b) => a + b, 0), deterministic: false };
}
fake.started[0].emit({ type: 'status', status: 'running', step: 0 });
let u = 1;
setInterval(() => fake.started[0].emit({ type: 'trajectory', trajectory: episode(u++) }), 1000);
fake.started[0].emit({ type: 'trajectory', trajectory: episode(0) });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: (process.argv[3] as 'dark') ?? 'dark' });
page.on('console', (m) => console.log('console:', m.text()));
await page.goto(server.url);
await page.locator(`[data-testid="run-item"]`).first().click();
await page.waitForTimeout(Number(process.argv[4] ?? 2500));
await page.screenshot({ path: `/tmp/harness-${envId}.png` });
console.log(await page.locator('.viewer').getAttribute('data-frame-ms-max'), await page.locator('.viewer').getAttribute('data-frame-ms-mean'));
await browser.close();
await server.close();
process.exit(0);
