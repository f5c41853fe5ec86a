import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const cacheDir = path.join(repoRoot, '.cache');
export const dataDir = path.join(repoRoot, '.data');
