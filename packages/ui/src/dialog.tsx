"use client";
import * as RadixDialog from "@radix-ui/react-dialog";
import { useEffect, useId, useRef, useState } from "react";
import type { ReactNode } from "react";

interface DialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  onClose: () => void;
  footer?: ReactNode;
}

/**
 * Modal dialog on Radix UI (focus trap, Escape, outside click, inert background, scroll lock).
 * Focus starts on the first field, or the first button that is not marked `data-close`, and
 * returns to the opener: the apps open dialogs from plain buttons, not from a Radix trigger.
 */
export function Dialog({ open, title, children, onClose, footer }: DialogProps) {
  const opener = useRef<HTMLElement | null>(null);
  return (
    <RadixDialog.Root open={open} onOpenChange={(next) => (next ? undefined : onClose())}>
      <RadixDialog.Portal>
        {/* Content inside the overlay keeps the backdrop's grid centring from styles.css. */}
        <RadixDialog.Overlay className="dialog-backdrop">
          <RadixDialog.Content
            className="dialog"
            aria-describedby={undefined}
            onOpenAutoFocus={(e) => {
              opener.current = document.activeElement as HTMLElement | null;
              const first = (e.currentTarget as HTMLElement).querySelector<HTMLElement>(
                "input, textarea, select, button:not([data-close])",
              );
              if (first) {
                e.preventDefault();
                first.focus();
              }
            }}
            onCloseAutoFocus={(e) => {
              e.preventDefault();
              opener.current?.focus();
            }}
          >
            <RadixDialog.Title asChild>
              <h2>{title}</h2>
            </RadixDialog.Title>
            {children}
            {footer ? <div className="actions">{footer}</div> : null}
          </RadixDialog.Content>
        </RadixDialog.Overlay>
      </RadixDialog.Portal>
    </RadixDialog.Root>
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
