import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as o200 from 'gpt-tokenizer/encoding/o200k_base';
import * as cl100 from 'gpt-tokenizer/encoding/cl100k_base';
import { estimateTokens } from './src/tokens/estimate-tokens.js';
const files: string[] = [];
function walk(d: string, depth = 0) { if (depth > 4) return; for (const f of readdirSync(d)) { const p = join(d, f); const s = statSync(p); if (s.isDirectory()) walk(p, depth+1); else if (/\.(ts|md|json)$/.test(f) && s.size < 200000) files.push(p); } }
walk('/work/main/packages'); walk('node_modules/lru-cache/dist/esm');
const opts = { disallowedSpecial: new Set<string>() };
let under = 0; const ratios: number[] = [];
for (const f of files.slice(0, 400)) {
  const text = readFileSync(f, 'utf8');
  for (let i = 0; i < text.length; i += 1500) {
    const chunk = text.slice(i, i + 1500);
    const real = Math.max(o200.countTokens(chunk, opts), cl100.countTokens(chunk, opts));
    const est = estimateTokens(chunk);
    ratios.push(est / real);
    if (est < real) { under++; if (under < 5) console.log('UNDER', f, est, real, JSON.stringify(chunk.slice(0, 200))); }
  }
}
ratios.sort((a, b) => a - b);
console.log('n', ratios.length, 'under', under, 'min', ratios[0], 'p50', ratios[ratios.length >> 1], 'p90', ratios[Math.floor(ratios.length * 0.9)], 'max', ratios.at(-1));
