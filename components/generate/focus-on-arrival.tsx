"use client";

import { useEffect } from "react";

/**
 * Puts the caret in the field left to fill when a tool opens with a result as its input (Edit → Find, Animate →
 * its prompt): the field may still sit in the form's disabled fieldset for a frame or two after hydration, so this
 * tries for a short while, and gives up if the person has already moved focus themselves.
 */
export function FocusOnArrival({ id }: { id: string }) {
  useEffect(() => {
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      const element = document.getElementById(id);
      const busy = document.activeElement && document.activeElement !== document.body;
      if (busy || tries++ > 30) return;
      if (element instanceof HTMLElement && !element.closest("fieldset:disabled")) {
        element.focus();
        return;
      }
      frame = requestAnimationFrame(attempt);
    };
    frame = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(frame);
  }, [id]);
  return null;
}
