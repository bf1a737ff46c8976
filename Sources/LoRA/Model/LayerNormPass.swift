/// A LayerNorm applied in place, with what its backward pass needs: the normalised rows and each row's 1/σ.
struct LayerNormPass {
    let normalized: FloatBuffer
    let inverseDeviation: FloatBuffer

    /// A placeholder before the forward pass fills it in.
    static let empty = LayerNormPass(normalized: FloatBuffer(zeros: 0), inverseDeviation: FloatBuffer(zeros: 0))

    private init(normalized: FloatBuffer, inverseDeviation: FloatBuffer) {
        self.normalized = normalized
        self.inverseDeviation = inverseDeviation
    }

    /// Normalises each of the `rows` rows of `x` in place with `weights`, after adding `residual`
    /// to `x` when given.
    init(_ x: FloatBuffer, adding residual: FloatBuffer? = nil, _ weights: LayerNormWeights, rows: Int, width: Int, epsilon: Float) {
        normalized = FloatBuffer(uninitialized: rows * width)
        inverseDeviation = FloatBuffer(uninitialized: rows)
        Kernels.layerNorm(
            x.base, adding: residual?.base, normalized: normalized.base, inverseDeviation: inverseDeviation.base,
            gamma: weights.gamma.base, beta: weights.beta.base, rows: rows, width: width, epsilon: epsilon)
    }

    /// The gradient of the LayerNorm's input from the gradient `dy` of its output.
    func backward(_ dy: FloatBuffer, _ weights: LayerNormWeights, rows: Int, width: Int) -> FloatBuffer {
        let dx = FloatBuffer(uninitialized: rows * width)
        Kernels.layerNormBackward(
            dy.base, normalized: normalized.base, inverseDeviation: inverseDeviation.base, gamma: weights.gamma.base,
            into: dx.base, rows: rows, width: width)
        return dx
    }
}
