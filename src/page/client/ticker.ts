import { msToNextMinute } from '../campus-time.ts';

/** Calls `tick` just after each minute turns (timers drift; each wait is worked out afresh). */
export function everyMinute(tick: () => void): void {
  const schedule = () =>
    setTimeout(() => {
      tick();
      schedule();
    }, msToNextMinute(Date.now()) + 50);
  schedule();
}
