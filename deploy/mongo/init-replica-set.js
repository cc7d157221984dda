// Run by the one-shot `mongo-init` service (mongosh, authenticated as root on mongo-1).
// Idempotent: a second run finds rs0 initiated and the user present, and only resets the user's
// password and roles (which is how the application password is rotated).
const members = ["mongo-1:27017", "mongo-2:27017", "mongo-3:27017"];

function sleepMs(ms) {
  sleep(ms);
}

let initiated = false;
try {
  initiated = rs.status().ok === 1;
} catch (e) {
  // 94 NotYetInitialized is the expected answer on first start; anything else is fatal.
  if (e.code !== 94) throw e;
}

if (!initiated) {
  print("initiating replica set rs0");
  rs.initiate({
    _id: "rs0",
    // mongo-1 is preferred as primary so the first write lands where this script runs.
    members: members.map((host, i) => ({ _id: i, host, priority: i === 0 ? 2 : 1 })),
  });
}

for (let i = 0; i < 120 && !db.hello().isWritablePrimary; i++) sleepMs(1000);
if (!db.hello().isWritablePrimary) throw new Error("mongo-1 did not become primary within 120 s");

const user = process.env.MONGO_APP_USERNAME;
const pwd = process.env.MONGO_APP_PASSWORD;
if (!user || !pwd) throw new Error("MONGO_APP_USERNAME and MONGO_APP_PASSWORD must be set");

// Tenantry creates a database per tenant, builds its indexes and drops it on purge; the change
// stream on the control database's `tenants` needs find + changeStream (part of readWrite).
const roles = [
  { role: "readWriteAnyDatabase", db: "admin" },
  { role: "dbAdminAnyDatabase", db: "admin" },
  { role: "clusterMonitor", db: "admin" },
];
const admin = db.getSiblingDB("admin");
if (admin.getUser(user)) {
  admin.updateUser(user, { pwd, roles });
  print(`updated application user ${user}`);
} else {
  admin.createUser({ user, pwd, roles });
  print(`created application user ${user}`);
}

const status = rs.status();
print(`rs0: ${status.members.map((m) => `${m.name}=${m.stateStr}`).join(", ")}`);
