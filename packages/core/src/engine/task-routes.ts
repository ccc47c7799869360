import type { Model } from '../model/model.js';
import {
  DEFAULT_TASK_ROUTING,
  type TaskRoutingTable,
  taskFitScore,
} from '../routing/task-routing.js';
import type { TaskType } from '../types/capabilities.js';

/**
 * Splits eligible models into those the task routing table prefers and the
 * rest (kept as fallbacks), preserving order. A model is preferred when the
 * table gives it anything beyond its prior quality: it declares the task,
 * has a preferred capability, matches a preferred name or provider. Models
 * missing a required capability are dropped. The strategy then orders each
 * group: the table is the default, strategies refine it.
 */
export function preferForTask(
  models: readonly Model[],
  task: TaskType,
  table: Partial<TaskRoutingTable> = DEFAULT_TASK_ROUTING,
): [Model[], Model[]] {
  const preferred: Model[] = [];
  const others: Model[] = [];
  for (const model of models) {
    // The score alone: the reasons scoreModelForTask formats are never shown here.
    const fit = taskFitScore(model, task, table);
    if (fit < 0) continue;
    const quality = model.capabilities.qualityByTask?.[task] ?? model.capabilities.qualityScore;
    (fit - 0.45 * Math.min(1, Math.max(0, quality)) > 1e-9 ? preferred : others).push(model);
  }
  // Everyone preferred is the same as no preference.
  return others.length === 0 ? [[], preferred] : [preferred, others];
}
