"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  ErrorState,
  Loading,
  PageHead,
  WebhooksPanel,
  describeApiError,
  useToast,
} from "@tenantry/ui";
import { useTRPC } from "~/trpc/react";

/** The platform's webhook endpoints (tenant.* events) and their delivery log. */
export function WebhooksView() {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const endpoints = useQuery(trpc.webhooks.list.queryOptions());
  const eventTypes = useQuery(trpc.webhooks.eventTypes.queryOptions());
  // The log refreshes while deliveries are retried.
  const deliveries = useQuery(trpc.webhooks.deliveries.queryOptions({}, { refetchInterval: 2000 }));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.webhooks.list.pathFilter()),
      queryClient.invalidateQueries(trpc.webhooks.deliveries.pathFilter()),
    ]);
  const create = useMutation(trpc.webhooks.create.mutationOptions());
  const toggle = useMutation(
    trpc.webhooks.setEnabled.mutationOptions({
      onSuccess: async ({ endpoint }) => {
        toast.success(`${endpoint.url} is ${endpoint.enabled ? "enabled" : "disabled"}.`);
        await refresh();
      },
      onError: (err) => toast.error(describeApiError(err).message),
    }),
  );
  const replay = useMutation(
    trpc.webhooks.replay.mutationOptions({
      onSuccess: async ({ delivery }) => {
        toast.success(`${delivery.eventType} is queued to be sent again.`);
        await refresh();
      },
      onError: (err) => toast.error(describeApiError(err).message),
    }),
  );

  return (
    <>
      <PageHead
        title="Webhooks"
        subtitle="Signed POST requests to your endpoints when organisations are provisioned, suspended, resumed, deleted, purged or change plan."
      />
      {endpoints.isPending || deliveries.isPending || eventTypes.isPending ? (
        <Loading label="Loading webhooks…" />
      ) : endpoints.isError || deliveries.isError || eventTypes.isError ? (
        <ErrorState
          message={
            describeApiError(endpoints.error ?? deliveries.error ?? eventTypes.error).message
          }
        />
      ) : (
        <WebhooksPanel
          endpoints={endpoints.data.items}
          deliveries={deliveries.data.items}
          eventTypes={eventTypes.data.eventTypes}
          busy={toggle.isPending || replay.isPending}
          onCreate={async (input) => {
            try {
              const res = await create.mutateAsync(input);
              await refresh();
              return res.secret;
            } catch (err) {
              throw new Error(describeApiError(err).message, { cause: err });
            }
          }}
          onToggle={(endpointId, enabled) => toggle.mutate({ endpointId, enabled })}
          onReplay={(deliveryId) => replay.mutate({ deliveryId })}
        />
      )}
    </>
  );
}
