import type { HealthChange } from '../health/model-health-monitor.js';
import type { ModelOutcome } from '../model/model-outcome.js';
import type { Selection } from '../selectors/model-selector.js';
import type { SelectionCriteria } from './selection-criteria.js';

export interface RegistryEvents {
  'model:registered': (event: { model: string; provider: string }) => void;
  'model:unregistered': (event: { model: string }) => void;
  'model:selected': (event: {
    selection: Selection;
    selector: string;
    criteria: SelectionCriteria;
    candidates: number;
  }) => void;
  'model:outcome': (event: { model: string; outcome: ModelOutcome; reward: number }) => void;
  'health:changed': (event: HealthChange) => void;
}
