import { createAzureModel } from '@orchestrator/azure';

// GitHub Models: token from GITHUB_TOKEN (a personal access token with the `models` scope).
const codestral = createAzureModel('mistral-ai/codestral-2501');
const llama = createAzureModel('meta/meta-llama-3.1-405b-instruct');

// Azure AI Foundry: endpoint and key from AZURE_OPENAI_ENDPOINT / AZURE_OPENAI_API_KEY;
// the model id is your deployment name.
const gpt4o = createAzureModel('gpt-4o', { endpoint: 'https://my-resource.openai.azure.com' });

const answer = await codestral.generate({
  messages: [{ role: 'user', content: 'Write a debounce function in TypeScript.' }],
});
console.log(answer.content, llama.name, gpt4o.name);
