import sharp from 'sharp';

/** A 4000 × 3000 (12 MP) JPEG of noise: the largest a camera photo of that size gets. */
export async function cameraJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality: 90 })
    .toBuffer();
}
