// The baseline for Viaduc's fan-out benchmark (BENCHMARKS.md): a socket.io 4 server that
// puts every client in one room and re-broadcasts each `chat` event to the whole room, as
// a chat built on socket.io would. Not part of the product: tests/load/bench.sh installs
// socket.io into a temporary directory and runs this file from there.
import { Server } from "socket.io";

const port = Number(process.env.PORT ?? 3000);
const io = new Server(port, {
  transports: ["websocket"],
  perMessageDeflate: false,
  serveClient: false,
});

io.on("connection", (socket) => {
  socket.join("panel");
  socket.on("chat", (body) => {
    if (typeof body === "string" && body.length <= 2000) {
      io.to("panel").emit("chat", body);
    }
  });
});

console.log(`socket.io ${port}`);
