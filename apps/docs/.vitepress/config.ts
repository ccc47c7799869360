import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DefaultTheme, defineConfig } from 'vitepress';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The API pages TypeDoc generated (one per package), for the sidebar. */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const dir = `${root}api`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'index.md')
    .sort()
    .map((f) => {
      const title = /^# (.+)$/m.exec(readFileSync(`${dir}/${f}`, 'utf8'))?.[1] ?? f;
      return { text: title, link: `/api/${f.replace(/\.md$/, '')}` };
    });
}

export default defineConfig({
  title: 'Orchestrator',
  description:
    'Many AI models, run as one: a TypeScript library and gateway that decides per request which model answers.',
  lang: 'en',
  cleanUrls: true,
  lastUpdated: false,
  // A dead internal link fails the build (VitePress's default; stated so nobody turns it off by accident).
  ignoreDeadLinks: false,
  srcExclude: [
    'README.md',
    'snippets/**',
    'scripts/**',
    'test/**',
    'test-results/**',
    'node_modules/**',
  ],
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/logo.svg' }]],
  // The local search index of the API pages is one large chunk; it is loaded on demand.
  vite: { build: { chunkSizeWarningLimit: 4096 } },
  markdown: {
    theme: { light: 'github-light', dark: 'github-dark' },
  },
  themeConfig: {
    logo: '/logo.svg',
    nav: [
      { text: 'Guide', link: '/guide/quick-start', activeMatch: '^/guide/' },
      { text: 'Concepts', link: '/concepts/models-and-capabilities', activeMatch: '^/concepts/' },
      { text: 'Providers', link: '/providers/', activeMatch: '^/providers/' },
      { text: 'Gateway', link: '/gateway/', activeMatch: '^/gateway/' },
      { text: 'Operations', link: '/operations/deployment', activeMatch: '^/operations/' },
      { text: 'Benchmarks', link: '/benchmarks/', activeMatch: '^/benchmarks/' },
      { text: 'API', link: '/api/', activeMatch: '^/api/' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Quick start', link: '/guide/quick-start' },
          { text: 'Writing a custom model', link: '/guide/custom-model' },
        ],
      },
      {
        text: 'Concepts',
        items: [
          { text: 'Models and capabilities', link: '/concepts/models-and-capabilities' },
          { text: 'The registry', link: '/concepts/registry' },
          { text: 'Selectors and strategies', link: '/concepts/selectors-and-strategies' },
          { text: 'Health and circuit breakers', link: '/concepts/health-and-breakers' },
          { text: 'A request’s life cycle', link: '/concepts/request-life-cycle' },
        ],
      },
      {
        text: 'Providers',
        items: [
          { text: 'Overview', link: '/providers/' },
          { text: 'OpenAI', link: '/providers/openai' },
          { text: 'Anthropic', link: '/providers/anthropic' },
          { text: 'Google Gemini', link: '/providers/google' },
          { text: 'Hugging Face', link: '/providers/huggingface' },
          { text: 'Ollama', link: '/providers/ollama' },
          { text: 'Azure and GitHub Models', link: '/providers/azure' },
        ],
      },
      {
        text: 'Gateway',
        items: [
          { text: 'Endpoints', link: '/gateway/' },
          { text: 'Error codes', link: '/gateway/error-codes' },
          { text: 'Configuration reference', link: '/gateway/configuration' },
        ],
      },
      {
        text: 'Operations',
        items: [
          { text: 'Deployment', link: '/operations/deployment' },
          { text: 'Reliability and security', link: '/operations/reliability-and-security' },
        ],
      },
      {
        text: 'Benchmarks',
        items: [
          { text: 'Latest figures', link: '/benchmarks/' },
          { text: 'Methodology', link: '/benchmarks/methodology' },
        ],
      },
      {
        text: 'API reference',
        collapsed: true,
        items: [{ text: 'Packages', link: '/api/' }, ...apiSidebar()],
      },
    ],
    outline: { level: [2, 3] },
    search: { provider: 'local' },
    footer: {
      message: 'Generated from the repository: API reference by TypeDoc, figures by bench/.',
    },
  },
});
