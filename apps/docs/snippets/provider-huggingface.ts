import { huggingface, lazyHuggingFace } from '@orchestrator/huggingface';

// Inference Providers, routed by Hugging Face (token from HF_TOKEN).
const llama = huggingface('meta-llama/Llama-3.3-70B-Instruct');
console.log(await llama.generateResponse('What is a monad?', { maxTokens: 200 }));

// Pin a provider, or a router policy in the id (`:fastest`, `:cheapest`).
const coder = huggingface('Qwen/Qwen2.5-Coder-32B-Instruct', { provider: 'together' });
console.log(coder.name);

// A dedicated endpoint that scales to zero: ride out its cold start, once, with progress.
const endpoint = lazyHuggingFace('meta-llama/Llama-3.1-8B-Instruct', {
  endpointUrl: 'https://xyz.us-east-1.aws.endpoints.huggingface.cloud',
  maxColdStartWaitMs: 120_000,
  onProgress: (event) => {
    if (event.type === 'loading') console.log(`loading, about ${event.estimatedTimeMs} ms`);
    if (event.type === 'ready') console.log(`ready after ${event.waitedMs} ms`);
  },
});
console.log(endpoint.state); // 'cold' until the first call
