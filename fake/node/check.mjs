// The official Node client (`npm install crisp-api`) against `crisp fake serve`: REST calls and
// its RTM client receiving an event. A fake that only our own client accepted would prove little.
//
// Run from a folder where `crisp-api` is installed, with CRISP_BIN the `crisp` binary:
//   (cd "$scratch" && npm install crisp-api && CRISP_BIN=target/debug/crisp node fake/node/check.mjs)
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import readline from "node:readline";
import assert from "node:assert/strict";

const require = createRequire(path.join(process.cwd(), "check.cjs"));
const { Crisp } = require("crisp-api");
const WEBSITE = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";

const bin = process.env.CRISP_BIN;
if (!bin) {
  console.error("set CRISP_BIN to the crisp binary");
  process.exit(2);
}

// Start the fake and read where it is and its credentials.
const server = spawn(bin, ["fake", "serve", "--seed", "1"], { stdio: ["ignore", "pipe", "inherit"] });
const info = {};
const requests = [];
await new Promise((resolve, reject) => {
  const lines = readline.createInterface({ input: server.stdout });
  lines.on("line", (line) => {
    const [name, value] = line.trim().split(/\s+/, 2);
    if (["API", "socket", "identifier", "key"].includes(name)) {
      info[name] = value;
      if (info.key) resolve();
    } else if (!line.startsWith("crisp fake:")) {
      requests.push(line);
    }
  });
  server.on("exit", (code) => reject(new Error(`crisp fake serve exited with ${code}`)));
});

const timeout = (ms, what) =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));

try {
  const crisp = new Crisp();
  crisp.setRestHost(new URL(info.API).origin);
  crisp.authenticateTier("plugin", info.identifier, info.key);

  // RTM: discovered through plugin/connect/endpoints, authenticated with the token.
  const received = [];
  await crisp.on("message:received", (message) => received.push(message));

  // REST.
  const { session_id: session } = await crisp.website.createNewConversation(WEBSITE);
  assert.match(session, /^session_[0-9a-f-]{36}$/);
  await crisp.website.updateConversationMetas(WEBSITE, session, { nickname: "Ada", email: "ada@example.com" });
  const { fingerprint } = await crisp.website.sendMessageInConversation(WEBSITE, session, {
    type: "text", from: "user", origin: "chat", content: "Hello from Node",
  });
  assert.equal(typeof fingerprint, "number");
  const conversation = await crisp.website.getConversation(WEBSITE, session);
  assert.equal(conversation.session_id, session);
  assert.equal(conversation.meta.nickname, "Ada");
  const messages = await crisp.website.getMessagesInConversation(WEBSITE, session);
  assert.deepEqual(messages.map((m) => m.content), ["Hello from Node"]);
  const list = await crisp.website.listConversations(WEBSITE, 1);
  assert.deepEqual(list.map((c) => c.session_id), [session]);
  const { people_id } = await crisp.website.addNewPeopleProfile(WEBSITE, {
    email: "ada@example.com", person: { nickname: "Ada Lovelace" },
  });
  const profile = await crisp.website.getPeopleProfile(WEBSITE, people_id);
  assert.equal(profile.person.nickname, "Ada Lovelace");
  await assert.rejects(crisp.website.getConversation(WEBSITE, "session_00000000-0000-4000-8000-000000000000"),
    (error) => error.code === 404);
  await assert.rejects(crisp.website.changeConversationState(WEBSITE, session, "closed"),
    (error) => error.code === 400 && /state/.test(error.data.message));

  // An operator reply reaches the Node RTM client (resent until the socket has authenticated).
  const reply = await Promise.race([
    (async () => {
      for (let attempt = 0; ; attempt++) {
        await crisp.website.sendMessageInConversation(WEBSITE, session, {
          type: "text", from: "operator", origin: "chat", content: `Hi Ada (${attempt})`,
        });
        await new Promise((r) => setTimeout(r, 500));
        if (received.length > 0) return received[0];
      }
    })(),
    timeout(15000, "message:received over RTM"),
  ]);
  assert.equal(reply.session_id, session);
  assert.match(reply.content, /^Hi Ada/);
  assert.ok(requests.some((line) => line.includes("send_message_in_conversation")), "the fake logs requests");
  console.log(`node check: ok (${requests.length} requests, message:received over RTM)`);
  server.kill("SIGINT");
  process.exit(0);
} catch (error) {
  console.error("node check failed:", error);
  server.kill("SIGINT");
  process.exit(1);
}
