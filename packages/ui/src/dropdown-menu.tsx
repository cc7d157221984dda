"use client";
import * as RadixMenu from "@radix-ui/react-dropdown-menu";
import type { ReactNode } from "react";

export interface MenuItem {
  key: string;
  label: ReactNode;
  /** A second, quieter line (e.g. "asks for its password"). */
  hint?: ReactNode;
  /** Marks the item the user is on now (shown with a check, not selectable). */
  current?: boolean;
  disabled?: boolean;
  onSelect?: () => void;
}

interface DropdownMenuProps {
  /** The trigger's visible content. */
  trigger: ReactNode;
  /** The trigger's accessible name. */
  label: string;
  items: MenuItem[];
  /** A heading above the items. */
  heading?: string;
  busy?: boolean;
  testId?: string;
}

/** A menu on Radix UI (keyboard navigation, typeahead, Escape, outside click, focus return). */
export function DropdownMenu({ trigger, label, items, heading, busy, testId }: DropdownMenuProps) {
  return (
    <RadixMenu.Root>
      <RadixMenu.Trigger
        className="menu-trigger"
        aria-label={label}
        aria-busy={busy || undefined}
        data-testid={testId}
      >
        {trigger}
        <span className="menu-caret" aria-hidden>
          ▾
        </span>
      </RadixMenu.Trigger>
      <RadixMenu.Portal>
        <RadixMenu.Content
          className="menu"
          align="start"
          sideOffset={6}
          data-testid={testId ? `${testId}-menu` : undefined}
        >
          {heading ? <RadixMenu.Label className="menu-heading">{heading}</RadixMenu.Label> : null}
          {items.map((item) => (
            <RadixMenu.Item
              key={item.key}
              className="menu-item"
              disabled={item.disabled || item.current}
              data-current={item.current || undefined}
              aria-current={item.current ? "true" : undefined}
              onSelect={item.onSelect}
            >
              <span className="menu-check" aria-hidden>
                {item.current ? "✓" : ""}
              </span>
              <span className="menu-text">
                <span>{item.label}</span>
                {item.hint ? <span className="menu-hint">{item.hint}</span> : null}
              </span>
            </RadixMenu.Item>
          ))}
        </RadixMenu.Content>
      </RadixMenu.Portal>
    </RadixMenu.Root>
  );
}
