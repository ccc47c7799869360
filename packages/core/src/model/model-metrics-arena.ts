/** Latency samples kept for percentiles: the most recent ones, in a ring. */
export const LATENCY_WINDOW = 256;
/** Numbers of one model's figures (two cache lines); its latency ring follows elsewhere in the chunk. */
export const FIGURES = 16;
/** Models per chunk: one chunk is CHUNK_MODELS × (FIGURES + LATENCY_WINDOW) doubles, 136 KB. */
const CHUNK_MODELS = 64;
/** Where the rings start in a chunk: after every model's figures. */
const RINGS = CHUNK_MODELS * FIGURES;

/** A ModelMetrics' place: its chunk, where its figures start and where its ring starts. */
export interface MetricsPlace {
  readonly data: Float64Array;
  readonly figures: number;
  readonly ring: number;
}

/**
 * The figures of every ModelMetrics, in chunks of one Float64Array each,
 * handed out in creation order. Among thousands of models every separate
 * object record() reads is a cache miss: a typed array per model meant a
 * header per model as well as its storage, while here the few chunk headers
 * stay in cache and models created together (a fleet) sit side by side. A
 * place whose ModelMetrics was collected is handed out again.
 */
class MetricsArena {
  private chunk = new Float64Array(0);
  private next = CHUNK_MODELS;
  private readonly free: MetricsPlace[] = [];
  private readonly reclaim = new FinalizationRegistry<MetricsPlace>((place) => {
    this.free.push(place);
  });

  /** A zeroed place for `owner`, given back when `owner` is collected. */
  take(owner: object): MetricsPlace {
    let place = this.free.pop();
    if (place !== undefined) {
      place.data.fill(0, place.figures, place.figures + FIGURES);
    } else {
      if (this.next === CHUNK_MODELS) {
        this.chunk = new Float64Array(CHUNK_MODELS * (FIGURES + LATENCY_WINDOW));
        this.next = 0;
      }
      const i = this.next++;
      place = { data: this.chunk, figures: i * FIGURES, ring: RINGS + i * LATENCY_WINDOW };
    }
    this.reclaim.register(owner, place);
    return place;
  }
}

export const metricsArena = new MetricsArena();
