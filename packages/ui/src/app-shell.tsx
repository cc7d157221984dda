"use client";
import { useState } from "react";
import type { ReactNode } from "react";

interface AppShellProps {
  brand: string;
  brandSub?: string;
  nav: ReactNode;
  footer?: ReactNode;
  banner?: ReactNode;
  /** Under the brand, at the top of the sidebar: e.g. the organisation switcher. */
  brandMenu?: ReactNode;
  children: ReactNode;
}

/** Sidebar layout; below 800 px the sidebar becomes a drawer opened from the top bar. */
export function AppShell({
  brand,
  brandSub,
  nav,
  footer,
  banner,
  brandMenu,
  children,
}: AppShellProps) {
  const [open, setOpen] = useState(false);
  return (
    <div className="shell" data-nav-open={open}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside
        className="sidebar"
        aria-label="Main navigation"
        onClick={(e) => {
          if ((e.target as HTMLElement).closest("a")) setOpen(false);
        }}
      >
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            T
          </span>
          <span>
            {brand}
            {brandSub ? <span className="brand-sub">{brandSub}</span> : null}
          </span>
        </div>
        {brandMenu ? <div className="brand-menu">{brandMenu}</div> : null}
        <nav className="nav">{nav}</nav>
        {footer ? <div className="sidebar-foot">{footer}</div> : null}
      </aside>
      {open ? <div className="scrim" onClick={() => setOpen(false)} aria-hidden /> : null}
      <div className="main">
        <header className="topbar">
          <button
            type="button"
            className="btn btn-sm"
            aria-expanded={open}
            aria-label="Open menu"
            onClick={() => setOpen((o) => !o)}
          >
            ☰
          </button>
          <span className="brand">{brand}</span>
        </header>
        {banner}
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
