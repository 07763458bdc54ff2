import { createPalate } from '../../examples/build/core.js'
import { rankScale } from './rankScale.mjs'
const sizes = (process.env.SIZES ?? '1000,10000').split(',').map(Number)
const { rows } = await rankScale(createPalate, { sizes, runs: 9, warmup: 2 })
for (const r of rows) console.log(r.count, 'cold', r.palate.cold.toFixed(3), r.uniform.cold.toFixed(3), (r.palate.cold / r.uniform.cold).toFixed(2), 'rep', (r.palate.repeated / r.uniform.repeated).toFixed(2))
