import { countTokens as o } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as c } from 'gpt-tokenizer/encoding/cl100k_base';
import { estimateTokens } from './src/tokens/estimate-tokens.js';
import { TOKEN_CORPUS } from './src/tokens/token-corpus.fixture.js';
const p = { disallowedSpecial: new Set<string>() };
for (const t of TOKEN_CORPUS) console.log(estimateTokens(t), o(t,p), c(t,p), (estimateTokens(t)/Math.max(o(t,p),c(t,p))).toFixed(2), JSON.stringify(t.slice(0,40)));
