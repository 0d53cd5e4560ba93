/**
 * The data generator is now one generic engine in shared/domain/generator.ts, driven by each model's
 * `sampleData.generator`. This re-export only keeps simulator.service.ts building until the recipes work removes
 * that service; nothing else may import it.
 */
export { prng } from '../shared/domain/generator'
