"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ErrorState, Loading, PageHead, WebhooksPanel, useToast } from "@tenantry/ui";
import { describeError } from "~/api-error";
import { useTRPC } from "~/trpc/react";

/** The organisation's webhook endpoints and delivery log (organisation settings → Webhooks). */
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
      onError: (err) => toast.error(describeError(err).message),
    }),
  );
  const replay = useMutation(
    trpc.webhooks.replay.mutationOptions({
      onSuccess: async ({ delivery }) => {
        toast.success(`${delivery.eventType} is queued to be sent again.`);
        await refresh();
      },
      onError: (err) => toast.error(describeError(err).message),
    }),
  );

  return (
    <>
      <PageHead
        title="Webhooks"
        subtitle="Signed POST requests to your endpoints when members or notes of this organisation change."
      />
      {endpoints.isPending || deliveries.isPending || eventTypes.isPending ? (
        <Loading label="Loading webhooks…" />
      ) : endpoints.isError || deliveries.isError || eventTypes.isError ? (
        <ErrorState
          message={describeError(endpoints.error ?? deliveries.error ?? eventTypes.error).message}
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
              throw new Error(describeError(err).message, { cause: err });
            }
          }}
          onToggle={(endpointId, enabled) => toggle.mutate({ endpointId, enabled })}
          onReplay={(deliveryId) => replay.mutate({ deliveryId })}
        />
      )}
    </>
  );
}
