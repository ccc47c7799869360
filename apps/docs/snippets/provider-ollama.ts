import { createLazyOllamaModel, createOllamaModel } from '@orchestrator/ollama';

// A model already on the server (OLLAMA_HOST, else http://127.0.0.1:11434).
const llama = createOllamaModel('llama3.1:8b', { numCtx: 16_384 });
console.log(await llama.generateResponse('Hello!'));

// Pulled on first use if the server does not have it yet.
const coder = createLazyOllamaModel('qwen2.5-coder:7b');
coder.on('pull-progress', (e) => console.log(e.status, e.completedBytes, '/', e.totalBytes));
coder.on('ready', (e) => console.log(e.pulled ? 'pulled' : 'already installed'));
await coder.ensureReady(); // optional: any call does the same

const vectors = await createOllamaModel('nomic-embed-text').embed({ input: ['a', 'b'] });
console.log(vectors.embeddings.length);
