import { z } from 'zod';
import { ppoHparams } from '../main/algos/ppo.ts';
for (const [k, f] of Object.entries(ppoHparams.shape)) console.log(k, JSON.stringify(z.toJSONSchema(f as z.ZodType, { io: 'input' })));
