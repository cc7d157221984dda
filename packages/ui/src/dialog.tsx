"use client";
import { useEffect, useId, useRef, useState } from "react";
import type { ReactNode } from "react";

interface DialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  onClose: () => void;
  footer?: ReactNode;
}

/** Modal dialog: Escape closes, focus moves inside on open and returns to the opener on close. */
export function Dialog({ open, title, children, onClose, footer }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (!open) return;
    const opener = document.activeElement as HTMLElement | null;
    const el = ref.current;
    const first = el?.querySelector<HTMLElement>(
      "input, textarea, select, button:not([data-close])",
    );
    (first ?? el)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
      if (e.key === "Tab" && el) {
        // Keep Tab inside the dialog.
        const items = Array.from(
          el.querySelectorAll<HTMLElement>("a, button, input, textarea, select"),
        ).filter((x) => !x.hasAttribute("disabled"));
        if (items.length === 0) return;
        const firstItem = items[0];
        const lastItem = items[items.length - 1];
        if (e.shiftKey && document.activeElement === firstItem) {
          e.preventDefault();
          lastItem?.focus();
        } else if (!e.shiftKey && document.activeElement === lastItem) {
          e.preventDefault();
          firstItem?.focus();
        }
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      opener?.focus();
    };
  }, [open, onClose]);
  if (!open) return null;
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={ref}
        tabIndex={-1}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        {footer ? <div className="actions">{footer}</div> : null}
      </div>
    </div>
  );
}

interface ConfirmProps {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  /** When set, the user must type this exact text before confirming (delete, purge). */
  typedConfirmation?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  danger,
  busy,
  typedConfirmation,
  onConfirm,
  onCancel,
}: ConfirmProps) {
  const [typed, setTyped] = useState("");
  const inputId = useId();
  useEffect(() => {
    if (!open) setTyped("");
  }, [open]);
  const blocked = typedConfirmation !== undefined && typed !== typedConfirmation;
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="btn" data-close onClick={onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            form={`${inputId}-form`}
            className={`btn ${danger ? "btn-danger" : "btn-primary"}`}
            disabled={blocked || busy}
          >
            {busy ? <span className="spinner" aria-hidden /> : null}
            {confirmLabel}
          </button>
        </>
      }
    >
      <form
        id={`${inputId}-form`}
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked && !busy) onConfirm();
        }}
      >
        <div className="muted">{message}</div>
        {typedConfirmation !== undefined ? (
          <div className="field">
            <label htmlFor={inputId}>
              Type <code>{typedConfirmation}</code> to confirm
            </label>
            <input
              id={inputId}
              type="text"
              autoComplete="off"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          </div>
        ) : null}
      </form>
    </Dialog>
  );
}
