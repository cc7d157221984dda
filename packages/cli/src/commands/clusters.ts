import type { CommandSpec } from "../command";
import { formatTable } from "../output";
import { secret } from "./tenants";

const add: CommandSpec = {
  group: "clusters",
  name: "add",
  summary: "Register a MongoDB cluster for tenant databases (URI stored encrypted)",
  usage: "--name <name> (--uri <mongodb-uri> | --uri-stdin) [--skip-verify]",
  options: ["--name <name>", "--uri <mongodb-uri>", "--uri-stdin", "--skip-verify"],
  positionals: [],
  required: ["name"],
  details: "The cluster must answer a ping unless --skip-verify. The URI is never printed again.",
  async run(ctx) {
    const uri = await secret(ctx, "uri");
    const name = typeof ctx.values.name === "string" ? ctx.values.name : "";
    const tenancy = await ctx.tenancy();
    const res = await tenancy.clusters.add(
      { name, uri, verify: ctx.values["skip-verify"] !== true },
      ctx.actor,
    );
    return { json: { cluster: res }, human: `Registered cluster ${res.name}\n` };
  },
};

const list: CommandSpec = {
  group: "clusters",
  name: "list",
  summary: "List clusters with their tenant counts and health (never their URIs)",
  usage: "",
  options: [],
  positionals: [],
  async run(ctx) {
    const clusters = await (await ctx.tenancy()).clusters.list();
    return {
      json: { clusters },
      human: formatTable(
        clusters.map((c) => ({ ...c })),
        ["name", "tenantCount", "healthy"],
      ),
    };
  },
};

export const clusterCommands: CommandSpec[] = [add, list];
