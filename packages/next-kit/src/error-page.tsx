"use client";
import Link from "next/link";
import { useEffect } from "react";

// Last line of defence: an unexpected failure shows a sentence and a way on, never a stack trace.
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="status-page">
      <div className="card" role="alert">
        <div
          className="status-icon"
          style={{ background: "var(--danger-soft)", color: "var(--danger)" }}
          aria-hidden
        >
          !
        </div>
        <h1>Something went wrong</h1>
        <p className="muted">
          The page could not be shown. Please try again; if it keeps happening, contact support
          {error.digest ? (
            <>
              {" "}
              and quote <code>{error.digest}</code>
            </>
          ) : null}
          .
        </p>
        <div className="row">
          <button type="button" className="btn btn-primary" onClick={reset}>
            Try again
          </button>
          <Link className="btn" href="/">
            Go to the start page
          </Link>
        </div>
      </div>
    </div>
  );
}
