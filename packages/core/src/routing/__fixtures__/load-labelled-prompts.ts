import { readFileSync } from 'node:fs';
import type { TaskType } from '../../types/capabilities.js';
import type { ComplexityLevel } from '../analyze-complexity.js';

/**
 * One labelled prompt. `split` records how it was used: `dev` prompts were
 * written first and the rules built on them; `holdout` prompts were written
 * at the same time and never used to change a rule; `stress` and `fresh`
 * prompts were written later, each after the rules were frozen, in
 * deliberately different styles, evaluated once (first-look figures in
 * routing/README.md) and only then used for improvements.
 */
export interface LabelledPrompt {
  readonly id: string;
  readonly taskType: TaskType;
  readonly complexity: ComplexityLevel;
  readonly split: 'dev' | 'holdout' | 'stress' | 'fresh';
  readonly prompt: string;
}

export function loadLabelledPrompts(): LabelledPrompt[] {
  const url = new URL('./labelled-prompts.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as LabelledPrompt[];
}
