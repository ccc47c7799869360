/**
 * Vocabulary that signals depth. `expert`: fields where an answer needs
 * specialist knowledge to be right at all (consensus, memory models,
 * compilers, formal methods, cryptography, hard real-time). `advanced`:
 * system-level concerns that multiply the work (distribution, migration,
 * security, scale, concurrency, infrastructure). Matched on lower-cased
 * prose; each distinct term counts once.
 */
export const COMPLEXITY_TERMS = {
  expert:
    /\b(?:consensus|raft|paxos|multi-paxos|byzantine|linearizab\w*|serializab\w*|lock-free|wait-free|memory[ _]order\w*|aba|crdts?|vector clocks?|exactly-once|formal(?:ly)?|proofs?|prove|tla\+?|model[- ]check\w*|invariants?|undecidab\w*|rice's theorem|abstract interpretation|jit|compilers?|bytecode|register allocation|simd|zero-copy|huge pages|cache coheren\w*|out of order|reorder buffer|speculative execution|spectre|zk-snarks?|r1cs|polynomial commitments?|homomorphic|side[- ]channel|garbage collector settings|p99\.9|µs|microseconds?|lockstep|jepsen|loom|network partitions?|clock skew|split-brain|fencing tokens?|two-phase commit|sagas?|gdpr|schrems|strangler|bounded contexts|transform feedback|hft|market[- ]data|trading)\b/g,
  advanced:
    /\b(?:distributed|concurren\w+|parallel\w*|threads?|atomics?|mutex\w*|deadlocks?|race conditions?|kubernetes|k8s|operator|statefulset|microservices?|multi-region|multi-tenant|failover|replication|sharding|partition\w*|scal(?:e|ability|ing)|high availability|latency|throughput|migration|migrate|architecture|hexagonal|security|threat|auth\w*|oauth2?|oidc|encryption|pci|hipaa|compliance|rbac|iam|terraform|vpc|autoscal\w+|ci|pipelines?|rollout|feature flags|zero downtime|consistency|transactions?|idempoten\w+|kafka|spark|cuda|gpu|webgl|streaming|websockets?|grpc|protobuf|etl|observability|sla|slo|disaster recovery|rpo|rto|backoff|circuit break\w+|retries|rate limit\w*|cache|caching|event[- ]sourc\w+|cqrs|ecs|state machine|chaos)\b/g,
  /**
   * Working-engineer topics above textbook exercises: frameworks' moving
   * parts, patterns, tooling and production concerns.
   */
  intermediate:
    /\b(?:components?|middleware|workflows?|integration|end-to-end|e2e|dockerfile|multi-stage|docker|ci|cron|s3|lambda|type-safe|generics?|lru|o\(1\)|dependency injection|strategy pattern|design patterns?|solid|god class|monads?|garbage collection|jvm|g1|zgc|tls|handshake|cold start|profil\w+|n\+1|memory usage|re-renders?|bundle size|fuzz\w*|mutation|fixtures?|fake clock|crud|tokenizer|pytorch|attention|transformers?|positional|redux|toolkit|hooks?|security review|trade-offs?|pros and cons|query plan|indexes|execution plan|openapi|schemas?|error codes|adr|architecture decision|runbook|escalation|okta|azure ad|sso|vpc|terraform|contributing|load test|virtual users|k6|playwright|checkout|coupon|optional|streams|try-with-resources|clean ?up|error handling|validation|validates?|authentication|login|session|queue|kafka|rabbitmq|redis|thundering herds?|postgres\w*|mysql|sqlite|mongodb|supertest|cargo-fuzz|corpus|jwt|refresh|pagination|filtering|transactions?|audit|iam|least privilege|a\/b test|conversion|significan\w+|churn|regression|monolith|modular|statistics?|elasticsearch|shards?|extension|clipboard|flask|login\/logout|decorator|caches?|websockets?|broadcast\w*)\b/g,
} as const;
