/**
 * Test helper: reads a video file back. Mediabunny demuxes it here in Node (container, codec, size,
 * timing, packets); Node has no WebCodecs decoder, so frames are decoded in the same headless
 * Chromium the recorder uses, which reports pixel statistics (and PNGs, to look at).
 */
import fs from 'node:fs';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { launchBrowser, type BrowserChoice } from './browser.ts';
import { startPageServer } from './page-server.ts';

export interface Demuxed {
  mimeType: string;
  codec: string | null;
  width: number;
  height: number;
  durationSeconds: number;
  packets: { key: boolean; timestamp: number; duration: number; bytes: number }[];
  decoderConfig: { codec: string; descriptionBase64: string | null; codedWidth: number; codedHeight: number };
  /** Each packet's data, base64, in decode order. */
  data: string[];
}

export async function demux(file: string): Promise<Demuxed> {
  const input = new Input({ source: new BufferSource(fs.readFileSync(file)), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error(`${file} has no video track`);
  const config = await track.getDecoderConfig();
  if (!config) throw new Error(`${file}: no decoder configuration for its video track`);
  const packets: Demuxed['packets'] = [];
  const data: string[] = [];
  for await (const packet of new EncodedPacketSink(track).packets()) {
    packets.push({ key: packet.type === 'key', timestamp: packet.timestamp, duration: packet.duration, bytes: packet.data.byteLength });
    data.push(Buffer.from(packet.data).toString('base64'));
  }
  const description = config.description ? Buffer.from(config.description as ArrayBuffer).toString('base64') : null;
  return {
    mimeType: await input.getMimeType(),
    codec: track.codec,
    width: track.displayWidth,
    height: track.displayHeight,
    durationSeconds: await input.computeDuration(),
    packets,
    decoderConfig: {
      codec: config.codec,
      descriptionBase64: description,
      codedWidth: config.codedWidth ?? track.displayWidth,
      codedHeight: config.codedHeight ?? track.displayHeight,
    },
    data,
  };
}

export interface FrameStats {
  index: number;
  /** Mean and standard deviation of the luma-ish (r + g + b) / 3, 0..255. */
  mean: number;
  std: number;
  /** 16 x 9 grid of mean values: compares frames cheaply. */
  thumbnail: number[];
  /** With `png`: the frame as a PNG data URL. */
  png?: string;
}

/** Decodes every frame in Chromium and returns statistics for the frames at `indices`. */
export async function decodeFrames(
  video: Demuxed,
  indices: number[],
  browser: BrowserChoice,
  options: { png?: boolean } = {},
): Promise<{ decoded: number; frames: FrameStats[] }> {
  const server = await startPageServer();
  const session = await launchBrowser(browser);
  try {
    // tsx compiles with esbuild's keepNames, which wraps the named functions below in a helper the page lacks.
    await session.page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    // Any page of ours: WebCodecs needs its secure context (127.0.0.1).
    await session.page.goto(server.url);
    return await session.page.evaluate(
      async ({ video, indices, png }) => {
        const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const wanted = new Set(indices);
        const frames: FrameStats[] = [];
        const jobs: Promise<void>[] = [];
        let decoded = 0;
        const canvas = new OffscreenCanvas(video.width, video.height);
        const context = canvas.getContext('2d', { willReadFrequently: true })!;
        const decoder = new VideoDecoder({
          output: (frame) => {
            const index = decoded++;
            if (wanted.has(index)) {
              context.drawImage(frame, 0, 0);
              const pixels = context.getImageData(0, 0, video.width, video.height).data;
              let sum = 0;
              let squares = 0;
              const cells = new Float64Array(16 * 9);
              const counts = new Float64Array(16 * 9);
              for (let y = 0; y < video.height; y++) {
                for (let x = 0; x < video.width; x++) {
                  const o = (y * video.width + x) * 4;
                  const v = (pixels[o] + pixels[o + 1] + pixels[o + 2]) / 3;
                  sum += v;
                  squares += v * v;
                  const cell = Math.floor((y * 9) / video.height) * 16 + Math.floor((x * 16) / video.width);
                  cells[cell] += v;
                  counts[cell]++;
                }
              }
              const n = video.width * video.height;
              const stats: FrameStats = {
                index,
                mean: sum / n,
                std: Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2)),
                thumbnail: Array.from(cells, (c, i) => c / counts[i]),
              };
              if (png) {
                jobs.push(
                  canvas.convertToBlob({ type: 'image/png' }).then(
                    (blob) =>
                      new Promise<void>((resolve) => {
                        const reader = new FileReader();
                        reader.onload = () => resolve(void (stats.png = reader.result as string));
                        reader.readAsDataURL(blob);
                      }),
                  ),
                );
              }
              frames.push(stats);
            }
            frame.close();
          },
          error: (error) => {
            throw error;
          },
        });
        const { codec, descriptionBase64, codedWidth, codedHeight } = video.decoderConfig;
        decoder.configure({ codec, codedWidth, codedHeight, ...(descriptionBase64 ? { description: bytes(descriptionBase64) } : {}) });
        video.packets.forEach((packet, i) => {
          decoder.decode(
            new EncodedVideoChunk({
              type: packet.key ? 'key' : 'delta',
              timestamp: Math.round(packet.timestamp * 1e6),
              duration: Math.round(packet.duration * 1e6),
              data: bytes(video.data[i]),
            }),
          );
        });
        await decoder.flush();
        await Promise.all(jobs);
        return { decoded, frames };
      },
      { video, indices, png: options.png ?? false },
    );
  } finally {
    await session.close();
    await server.close();
  }
}
