"use client";
import { useEffect, useRef } from "react";

/**
 * The /session/refresh page of both apps: posts to the POST-only /api/session/refresh route at
 * once, once hydrated; the button is there for a browser that runs no script.
 */
export function RefreshForm({ next }: { next: string }) {
  const form = useRef<HTMLFormElement>(null);
  const sent = useRef(false);
  useEffect(() => {
    // Once, also under StrictMode's double effects in development.
    if (sent.current) return;
    sent.current = true;
    form.current?.requestSubmit();
  }, []);
  return (
    <div className="status-page">
      <form ref={form} method="post" action="/api/session/refresh" className="card form">
        <input type="hidden" name="next" value={next} />
        <p className="muted">Renewing your session…</p>
        <button type="submit" className="btn">
          Continue
        </button>
      </form>
    </div>
  );
}
