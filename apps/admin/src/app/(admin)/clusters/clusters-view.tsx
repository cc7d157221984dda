"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Badge,
  EmptyState,
  ErrorState,
  Loading,
  PageHead,
  TextField,
  describeApiError,
  setServerErrors,
  useToast,
  useZodForm,
} from "@tenantry/ui";
import { z } from "zod";
import { useTRPC } from "~/trpc/react";

const schema = z.object({
  name: z.string().regex(/^[a-z0-9-]{2,40}$/, "2–40 lowercase letters, digits or hyphens."),
  uri: z.string().regex(/^mongodb(\+srv)?:\/\//, "Must start with mongodb:// or mongodb+srv://"),
});

export function ClustersView() {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const clusters = useQuery(
    trpc.clusters.list.queryOptions(undefined, { refetchInterval: 10_000 }),
  );
  const add = useMutation(trpc.clusters.add.mutationOptions());
  const form = useZodForm(schema, { defaultValues: { name: "", uri: "" } });
  const { errors } = form.formState;

  const submit = form.handleSubmit(async ({ name, uri }) => {
    try {
      await add.mutateAsync({ name, uri });
      form.reset();
      toast.success(`Cluster ${name} added.`);
      await queryClient.invalidateQueries(trpc.clusters.list.pathFilter());
    } catch (err) {
      const info = describeApiError(err);
      if (setServerErrors(form, info.fieldErrors) === 0)
        form.setError("name", { message: info.message });
    }
  });

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
              {...form.register("name")}
              error={errors.name?.message}
              autoComplete="off"
            />
            <TextField
              label="Connection string"
              type="password"
              {...form.register("uri")}
              error={errors.uri?.message}
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
