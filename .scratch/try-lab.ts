import { Lab } from '../main/lab/lab.ts';
import { forkTrainer } from '../main/lab/fork-launcher.ts';
const lab = new Lab({ runsDir: '/tmp/gl-runs', launcher: forkTrainer, trajectoryIntervalMs: 500 });
const t0 = performance.now();
lab.subscribe((e) => {
  const s = JSON.stringify(e);
  console.log(((performance.now() - t0) / 1000).toFixed(2), s.length > 300 ? s.slice(0, 300) + '…' : s);
});
const run = lab.createRun({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 8192, hparams: {} });
setTimeout(() => lab.command(run.id, { type: 'set-hparams', values: { learning_rate: 1e-4 } }), 3000);
