import { stem } from './stem.js';

/**
 * Words that make a prompt technical (languages, frameworks, tools,
 * infrastructure, programming concepts), stemmed. Without any of them, and
 * without code, a prompt leans `general` and code-task cues count half.
 * Everyday words that double as jargon ("list", "state", "branch", "go")
 * are left out on purpose.
 */
export const TECH_STEMS: ReadonlySet<string> = new Set(
  `code coding función funcion funktion fonction código enum enums class classes solid dashboard
  password login logout signup checkout cart sku refetch render pandas numpy dataframe groupby rows
  columns table tables index indexes db mb gb kb ms qps bytes function method variable api endpoint
  database sql query schema algorithm bug compiler thread async await promise callback regex json
  yaml xml csv http https tcp udp dns tls ssl server client cache python java javascript typescript
  golang rust c++ c# ruby php kotlin swift swiftui haskell scala elixir bash shell powershell react
  vue angular svelte django flask fastapi express spring rails next.js node node.js nestjs docker
  dockerfile kubernetes k8s helm aws gcp azure lambda dynamodb s3 terraform ansible kafka rabbitmq
  redis postgres postgresql mysql sqlite mongodb cassandra elasticsearch snowflake bigquery spark
  hadoop airflow git github gitlab rebase ci cd pipeline cli repo repository monorepo deploy
  deployment microservice backend frontend framework library module package runtime memory cpu gpu
  kernel latency jvm garbage concurrency mutex orm graphql grpc websocket oauth jwt localstorage
  linux unix container pod sidecar sdk npm pnpm yarn pip cargo webpack vite nginx apache php-fpm
  pprof qps config configuration traceback exception typeerror undefined helper handler controller
  component props redux ngrx refactor mock fixture pytest jest regression snippet script app
  application software programming developer frontend ui ux css html dom browser chrome extension
  android ios gil embedding llm neural transformer quicksort array hashmap dictionary recursion
  iterator cryptography encryption hash rsa ssh certificate auth authentication authorization saas
  aws iam vpc serverless etl batch cron webhook rest soap protocol packet socket latency throughput
  benchmark bytecode interpreter debugger debug logging metrics prometheus grafana observability`
    .split(/\s+/)
    .filter(Boolean)
    .map(stem),
);
