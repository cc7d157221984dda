"use client";
// The webhook endpoints and their delivery log, shared by the admin app (platform endpoints) and
// the web app (an organisation's endpoints). Data and calls come from the app (its tRPC client):
// this component only shows them, and the signing secret once, right after creation.
import { useState } from "react";
import type { FormEvent } from "react";

import { CopyField } from "./copy-field";
import { Dialog } from "./dialog";
import { FormError, TextField } from "./field";
import { Badge, EmptyState } from "./states";

export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  createdAt: Date | string;
}

export interface WebhookDeliveryRow {
  id: string;
  endpointId: string;
  eventType: string;
  status: "pending" | "delivered" | "dead";
  tries: number;
  nextAttemptAt: Date | string | null;
  createdAt: Date | string;
  attempts: {
    at: Date | string;
    statusCode: number | null;
    durationMs: number;
    error: string | null;
  }[];
}

export interface WebhooksPanelProps {
  endpoints: WebhookEndpointRow[];
  deliveries: WebhookDeliveryRow[];
  eventTypes: readonly string[];
  /** Resolves with the secret to show once; rejects with a message to show in the form. */
  onCreate: (input: { url: string; description: string; eventTypes: string[] }) => Promise<string>;
  onToggle: (endpointId: string, enabled: boolean) => void;
  onReplay: (deliveryId: string) => void;
  busy?: boolean;
}

const when = (d: Date | string | null) =>
  d ? new Date(d).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" }) : "—";

const tone = { pending: "info", delivered: "ok", dead: "danger" } as const;

function CreateEndpointDialog({
  eventTypes,
  onCreate,
  onClose,
}: {
  eventTypes: readonly string[];
  onCreate: WebhooksPanelProps["onCreate"];
  onClose: () => void;
}) {
  const [error, setError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (name: string) => {
      const v = data.get(name);
      return typeof v === "string" ? v.trim() : "";
    };
    setPending(true);
    setError(undefined);
    try {
      setSecret(
        await onCreate({
          url: text("url"),
          description: text("description"),
          eventTypes: data.getAll("eventTypes").filter((v) => typeof v === "string"),
        }),
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setPending(false);
    }
  };

  if (secret)
    return (
      <Dialog
        open
        title="Endpoint added"
        onClose={onClose}
        footer={
          <button type="button" className="btn btn-primary" onClick={onClose}>
            I have stored it
          </button>
        }
      >
        <p>
          Copy the signing secret now: this is the only time it is shown. Verify each
          delivery&apos;s
          <code> webhook-signature</code> header with it (Standard Webhooks).
        </p>
        <CopyField label="Signing secret" value={secret} what="secret" testId="webhook-secret" />
      </Dialog>
    );

  return (
    <Dialog
      open
      title="Add endpoint"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="webhook-form" className="btn btn-primary" disabled={pending}>
            {pending ? <span className="spinner" aria-hidden /> : null}
            Add endpoint
          </button>
        </>
      }
    >
      <form id="webhook-form" className="form" onSubmit={(e) => void submit(e)} noValidate>
        <FormError message={error} testId="webhook-form-error" />
        <TextField
          label="URL"
          name="url"
          type="url"
          required
          autoComplete="off"
          hint="An https:// address that answers POST requests with a 2xx status."
        />
        <TextField label="Description (optional)" name="description" autoComplete="off" />
        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label">Events (none ticked: every event)</legend>
          {eventTypes.map((t) => (
            <label key={t} className="row">
              <input type="checkbox" name="eventTypes" value={t} /> {t}
            </label>
          ))}
        </fieldset>
      </form>
    </Dialog>
  );
}

export function WebhooksPanel({
  endpoints,
  deliveries,
  eventTypes,
  onCreate,
  onToggle,
  onReplay,
  busy = false,
}: WebhooksPanelProps) {
  const [creating, setCreating] = useState(false);
  const urlOf = new Map(endpoints.map((e) => [e.id, e.url]));
  return (
    <>
      <section className="card stack" aria-labelledby="webhook-endpoints">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h2 id="webhook-endpoints">Endpoints</h2>
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            Add endpoint
          </button>
        </div>
        {endpoints.length === 0 ? (
          <EmptyState title="No endpoints yet">
            Add one to receive signed POST requests when events happen.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table table-cards" data-testid="webhook-endpoints">
              <thead>
                <tr>
                  <th scope="col">URL</th>
                  <th scope="col">Events</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((e) => (
                  <tr key={e.id} data-testid="webhook-endpoint-row">
                    <td>
                      <strong>{e.url}</strong>
                      <div className="muted small">
                        {e.description ? `${e.description} · ` : ""}added {when(e.createdAt)}
                      </div>
                    </td>
                    <td data-label="Events">
                      {e.eventTypes.length ? e.eventTypes.join(", ") : "all events"}
                    </td>
                    <td data-label="Status">
                      <Badge tone={e.enabled ? "ok" : "deactivated"}>
                        {e.enabled ? "enabled" : "disabled"}
                      </Badge>
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-sm btn-ghost"
                        disabled={busy}
                        onClick={() => onToggle(e.id, !e.enabled)}
                        aria-label={`${e.enabled ? "Disable" : "Enable"} ${e.url}`}
                      >
                        {e.enabled ? "Disable" : "Enable"}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card stack" aria-labelledby="webhook-deliveries">
        <h2 id="webhook-deliveries">Delivery log</h2>
        {deliveries.length === 0 ? (
          <EmptyState title="No deliveries yet">
            Each event sent to an endpoint shows here with every attempt.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table table-cards" data-testid="webhook-deliveries">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} data-testid="webhook-delivery-row">
                    <td>
                      <strong>{d.eventType}</strong>
                      <div className="muted small">
                        to {urlOf.get(d.endpointId) ?? "a removed endpoint"} · {when(d.createdAt)}
                      </div>
                    </td>
                    <td data-label="Status">
                      <Badge tone={tone[d.status]}>{d.status}</Badge>
                      {d.status === "pending" && d.nextAttemptAt ? (
                        <div className="muted small">next try {when(d.nextAttemptAt)}</div>
                      ) : null}
                    </td>
                    <td data-label="Attempts">
                      <ol className="small" style={{ margin: 0, paddingLeft: "1.2em" }}>
                        {d.attempts.map((a, i) => (
                          <li key={i} data-testid="webhook-attempt">
                            {a.statusCode ?? "no answer"} · {a.durationMs} ms · {when(a.at)}
                            {a.error && a.statusCode === null ? ` · ${a.error}` : ""}
                          </li>
                        ))}
                      </ol>
                    </td>
                    <td>
                      {d.status === "pending" ? null : (
                        <button
                          type="button"
                          className="btn btn-sm btn-ghost"
                          disabled={busy}
                          onClick={() => onReplay(d.id)}
                          aria-label={`Replay ${d.eventType}`}
                        >
                          Replay
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {creating ? (
        <CreateEndpointDialog
          eventTypes={eventTypes}
          onCreate={onCreate}
          onClose={() => setCreating(false)}
        />
      ) : null}
    </>
  );
}
