"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { SessionsTable } from "@tenantry/ui";
import { describeError } from "~/api-error";
import { useTRPC } from "~/trpc/react";

/** This person's signed-in devices (the table and its confirmations are the shared SessionsTable). */
export function SessionsList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.auth.sessions.queryOptions());
  const onSettled = () => queryClient.invalidateQueries(trpc.auth.sessions.pathFilter());
  const end = useMutation(trpc.auth.endSession.mutationOptions({ onSettled }));
  const endOthers = useMutation(trpc.auth.endOtherSessions.mutationOptions({ onSettled }));
  return (
    <SessionsTable
      list={list}
      end={(sessionId) => end.mutateAsync({ sessionId })}
      endOthers={async () => (await endOthers.mutateAsync()).ended}
      describeError={describeError}
    />
  );
}
