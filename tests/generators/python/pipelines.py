"""The generators this project grew from, written with Halide's Python API.

`cargo xtask build-generators` and the downstream crate's build script run
this file as a generator command line (`-g add ...`); `hl.main()` handles the
flags.
"""

import halide as hl


@hl.generator(name="add")
class Add:
    """Adds a constant offset to every pixel of an 8-bit image, saturating."""

    offset = hl.GeneratorParam(1)

    input = hl.InputBuffer(hl.UInt(8), 2)
    output = hl.OutputBuffer(hl.UInt(8), 2)

    def generate(self):
        x, y = hl.vars("x y")
        widened = hl.u16(self.input[x, y]) + self.offset
        self.output[x, y] = hl.u8(hl.min(widened, 255))
        vector = self.natural_vector_size(hl.UInt(8))
        self.output.vectorize(x, vector, hl.TailStrategy.GuardWithIf).parallel(y)


@hl.generator(name="demosaic")
class Demosaic:
    """Bilinear demosaic of an RGGB Bayer mosaic into three planes.

    The mosaic's pixel (x, y) holds red where x and y are both even, blue
    where both are odd, and green elsewhere. Missing colours are the mean of
    the nearest samples of that colour; the mosaic is clamped at its edges.
    """

    input = hl.InputBuffer(hl.UInt(16), 2)
    output = hl.OutputBuffer(hl.UInt(16), 3)

    def generate(self):
        x, y, c = hl.vars("x y c")
        raw = hl.BoundaryConditions.repeat_edge(self.input)
        v = hl.Func("v")
        v[x, y] = hl.i32(raw[x, y])

        cross = (v[x - 1, y] + v[x + 1, y] + v[x, y - 1] + v[x, y + 1] + 2) // 4
        diagonal = (v[x - 1, y - 1] + v[x + 1, y - 1] + v[x - 1, y + 1] + v[x + 1, y + 1] + 2) // 4
        across = (v[x - 1, y] + v[x + 1, y] + 1) // 2
        down = (v[x, y - 1] + v[x, y + 1] + 1) // 2

        even_x = x % 2 == 0
        even_y = y % 2 == 0
        red_site = even_x & even_y
        blue_site = ~even_x & ~even_y
        green_on_red_row = ~even_x & even_y

        red = hl.select(red_site, v[x, y], blue_site, diagonal, green_on_red_row, across, down)
        green = hl.select(red_site | blue_site, cross, v[x, y])
        blue = hl.select(blue_site, v[x, y], red_site, diagonal, green_on_red_row, down, across)

        self.output[x, y, c] = hl.u16(hl.mux(c, [red, green, blue]))

        self.output.bound(c, 0, 3).reorder(c, x, y).unroll(c)
        self.output.parallel(y)
        v.compute_at(self.output, y)


if __name__ == "__main__":
    hl.main()
