// A live countdown inside an Inquirer prompt. Inquirer redraws a prompt only when its state
// changes, and its prompts take no external trigger; but their theme's `style.message` runs on
// every render inside the prompt's hook cycle, so a state hook placed there can tick once a
// second and redraw the header with the time left. It is called on every render of select,
// checkbox and input alike, so the hook order stays stable as the rules of hooks require.
import { useEffect, useState } from '@inquirer/core';

/** A `style.message` that re-renders `render()` every `everyMs` while the prompt is open, and shows `done` once answered. */
export function liveMessage(render: () => string, done: string, everyMs = 1000): (text: string, status: string) => string {
  return (_text, status) => {
    const [, setTick] = useState(0);
    useEffect(() => {
      const t = setInterval(() => setTick((n) => n + 1), everyMs);
      return () => clearInterval(t);
    }, []);
    return status === 'done' ? done : render();
  };
}

/** `31:12`, or `1:02:03` past an hour. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
