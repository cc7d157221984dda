import Link from "next/link";

export default function NotFound() {
  return (
    <div className="status-page">
      <div className="card">
        <div
          className="status-icon"
          style={{ background: "var(--accent-soft)", color: "var(--accent)" }}
          aria-hidden
        >
          ?
        </div>
        <h1>Page not found</h1>
        <p className="muted">The page you asked for does not exist or has moved.</p>
        <Link className="btn btn-primary" href="/">
          Go to the start page
        </Link>
      </div>
    </div>
  );
}
