// The card the signed-out pages (sign in, forgot password, reset, invite) sit in.
import type { ReactNode } from "react";

export function AuthCard({
  brand,
  title,
  intro,
  children,
}: {
  brand: string;
  title: string;
  intro: string;
  children: ReactNode;
}) {
  return (
    <div className="auth-wrap">
      <div className="card auth-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            T
          </span>{" "}
          {brand}
        </div>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
        {children}
      </div>
    </div>
  );
}
