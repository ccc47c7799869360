import { createGoogleModel } from '@orchestrator/google';

const flash = createGoogleModel('gemini-2.5-flash'); // key from GEMINI_API_KEY, then GOOGLE_API_KEY
const answer = await flash.generate({
  messages: [{ role: 'user', content: 'Name three sorting algorithms.' }],
  responseFormat: {
    type: 'json_schema',
    name: 'algorithms',
    schema: { type: 'object', properties: { names: { type: 'array', items: { type: 'string' } } } },
  },
});
console.log(answer.content);

const embedder = createGoogleModel('gemini-embedding-001');
const { embeddings } = await embedder.embed({ input: ['first', 'second'], dimensions: 768 });
console.log(embeddings.length);
