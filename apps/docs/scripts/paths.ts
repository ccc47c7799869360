import { fileURLToPath } from 'node:url';

/** apps/docs */
export const docsRoot = fileURLToPath(new URL('..', import.meta.url));
/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
