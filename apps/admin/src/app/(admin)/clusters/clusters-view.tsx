"use client";
import {
  Badge,
  EmptyState,
  ErrorState,
  Loading,
  PageHead,
  TextField,
  describeApiError,
  useToast,
} from "@tenantry/ui";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "~/trpc/react";

export function ClustersView() {
  const toast = useToast();
  const utils = api.useUtils();
  const clusters = api.clusters.list.useQuery(undefined, { refetchInterval: 10_000 });
  const add = api.clusters.add.useMutation();
  const [name, setName] = useState("");
  const [uri, setUri] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!/^[a-z0-9-]{2,40}$/.test(name)) local.name = "2–40 lowercase letters, digits or hyphens.";
    if (!/^mongodb(\+srv)?:\/\//.test(uri))
      local.uri = "Must start with mongodb:// or mongodb+srv://";
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    try {
      await add.mutateAsync({ name, uri });
      setName("");
      setUri("");
      toast.success(`Cluster ${name} added.`);
      await utils.clusters.list.invalidate();
    } catch (err) {
      const info = describeApiError(err);
      setErrors(
        Object.keys(info.fieldErrors).length > 0 ? info.fieldErrors : { name: info.message },
      );
    }
  }

  return (
    <>
      <PageHead
        title="Clusters"
        subtitle="Database clusters that hold tenant databases. Connection strings are stored encrypted and never shown."
      />
      <div className="grid grid-2" style={{ alignItems: "start" }}>
        <section className="card" aria-labelledby="clusters-h">
          <h2 id="clusters-h">Registered clusters</h2>
          {clusters.isPending ? (
            <Loading />
          ) : clusters.isError ? (
            <ErrorState message={describeApiError(clusters.error).message} />
          ) : clusters.data.length === 0 ? (
            <EmptyState title="No clusters" />
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="clusters-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Tenants</th>
                    <th scope="col">Health</th>
                  </tr>
                </thead>
                <tbody>
                  {clusters.data.map((c) => (
                    <tr key={c.name}>
                      <td className="mono">{c.name}</td>
                      <td>{c.tenantCount}</td>
                      <td>
                        <Badge tone={c.healthy ? "ok" : "danger"}>
                          {c.healthy ? "healthy" : "unreachable"}
                        </Badge>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="card" aria-labelledby="add-h">
          <h2 id="add-h">Add a cluster</h2>
          <form className="form" onSubmit={submit} noValidate aria-label="Add cluster">
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={errors.name}
              autoComplete="off"
            />
            <TextField
              label="Connection string"
              type="password"
              value={uri}
              onChange={(e) => setUri(e.target.value)}
              error={errors.uri}
              autoComplete="off"
              hint="Encrypted at rest (AES-256-GCM)."
            />
            <div className="row">
              <button type="submit" className="btn btn-primary" disabled={add.isPending}>
                {add.isPending ? <span className="spinner" aria-hidden /> : null}
                Add cluster
              </button>
            </div>
          </form>
        </section>
      </div>
    </>
  );
}
