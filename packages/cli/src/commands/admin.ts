import type { CommandSpec } from "../command";
import { formatRecord, formatTable } from "../output";
import { secret } from "./tenants";

const create: CommandSpec = {
  group: "admin",
  name: "create",
  summary: "Create a super-admin account (control database; argon2id hash)",
  usage: "--email <email> --name <name> (--password <pw> | --password-stdin)",
  options: ["--email <email>", "--name <name>", "--password <pw>", "--password-stdin"],
  positionals: [],
  required: ["email", "name"],
  async run(ctx) {
    const password = await secret(ctx, "password");
    const tenancy = await ctx.tenancy();
    // tenancy applies the password policy the admin app applies, and audits the creation.
    const admin = await tenancy.admins.create(
      {
        email: typeof ctx.values.email === "string" ? ctx.values.email : "",
        name: typeof ctx.values.name === "string" ? ctx.values.name : "",
        password,
      },
      ctx.actor,
    );
    const record = {
      id: admin.id,
      email: admin.email,
      name: admin.name,
      status: admin.status,
      createdAt: admin.createdAt,
    };
    return {
      json: { admin: record },
      human: `Created super admin ${admin.email}\n${formatRecord(record)}`,
    };
  },
};

const disable: CommandSpec = {
  group: "admin",
  name: "disable",
  summary:
    "Disable a super admin: no more sign-ins, every session ends (never the last active one)",
  usage: "<email>",
  options: [],
  positionals: ["<email>"],
  required: [],
  async run(ctx) {
    const tenancy = await ctx.tenancy();
    const admin = await tenancy.admins.disable(ctx.positionals[0] ?? "", ctx.actor);
    const record = { id: admin.id, email: admin.email, name: admin.name, status: admin.status };
    return {
      json: { admin: record },
      human: `Disabled super admin ${admin.email}\n${formatRecord(record)}`,
    };
  },
};

const resetTwoFactor: CommandSpec = {
  group: "admin",
  name: "reset-two-factor",
  summary:
    "Remove a super admin's two-factor sign-in (lost phone and codes); they set up a new one at their next sign-in",
  usage: "<email>",
  options: [],
  positionals: ["<email>"],
  required: [],
  async run(ctx) {
    const tenancy = await ctx.tenancy();
    const admin = await tenancy.admins.resetTwoFactor(ctx.positionals[0] ?? "", ctx.actor);
    const record = { id: admin.id, email: admin.email, twoFactorEnabled: admin.twoFactorEnabled };
    return {
      json: { admin: record },
      human: `Removed the two-factor sign-in of ${admin.email}\n${formatRecord(record)}`,
    };
  },
};

const list: CommandSpec = {
  group: "admin",
  name: "list",
  summary: "List super admins with their status and last sign-in (never a hash)",
  usage: "",
  options: [],
  positionals: [],
  required: [],
  async run(ctx) {
    const tenancy = await ctx.tenancy();
    const rows = (await tenancy.admins.list()).map((a) => ({
      email: a.email,
      name: a.name,
      status: a.status,
      twoFactor: a.twoFactorEnabled,
      lastLoginAt: a.lastLoginAt,
      createdAt: a.createdAt,
    }));
    return {
      json: { admins: rows, count: rows.length },
      human: formatTable(rows, [
        "email",
        "name",
        "status",
        "twoFactor",
        "lastLoginAt",
        "createdAt",
      ]),
    };
  },
};

export const adminCommands: CommandSpec[] = [create, list, disable, resetTwoFactor];
