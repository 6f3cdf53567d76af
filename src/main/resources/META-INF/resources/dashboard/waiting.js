// Why a task is not running, in words: the task's waitingFor as the service computes it (its open parents, its
// runAfter, a pause, a full cap, an empty budget), never guessed here from its other fields, so that the task page,
// the task tables and the DAG say the same thing as the API.
import { localTime } from './dom.js';

const until = (w) => (w.until ? `, until ${localTime(w.until, true)}` : '');
const plural = (n, one) => `${n} ${one}${n === 1 ? '' : 's'}`;

const SENTENCES = {
  parents: (w) => `waiting for ${plural(w.parentsLeft, 'parent')}`,
  runAfter: (w) => `not before its run-after time${until(w)}`,
  groupPaused: () => 'held by its group\'s pause',
  workgroupPaused: (w) => `held by workgroup ${w.workgroup}'s pause${until(w)}`,
  cap: (w) => `held by workgroup ${w.workgroup}'s cap (${w.running} of ${w.maxRunning} running)`,
  budget: (w) => `held by workgroup ${w.workgroup}'s budget${until(w)}`,
};

/** One sentence per reason; a reason this dashboard does not know yet is shown by its name. */
export function reasons(waitingFor) {
  if (!Array.isArray(waitingFor)) return [];
  return waitingFor.map((w) => (SENTENCES[w.reason] ?? ((x) => String(x.reason)))(w));
}

/** Held by something other than its parents: a pause, a cap, a budget or its run-after time (the DAG marks it). */
export const isHeld = (waitingFor) => Array.isArray(waitingFor) && waitingFor.some((w) => w.reason !== 'parents');

/** Held by a pause of its group or of a workgroup (the DAG draws it dashed, as a paused group's tasks were). */
export const isPaused = (waitingFor) => Array.isArray(waitingFor)
  && waitingFor.some((w) => w.reason === 'groupPaused' || w.reason === 'workgroupPaused');
