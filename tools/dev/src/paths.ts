import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const cacheDir = path.join(repoRoot, '.cache');
/** Demo data, logs and generated secrets; CAMPUSPAY_DATA_DIR lets a second instance run beside the first. */
export const dataDir = process.env.CAMPUSPAY_DATA_DIR ? path.resolve(process.env.CAMPUSPAY_DATA_DIR) : path.join(repoRoot, '.data');
