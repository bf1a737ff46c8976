extension Encoder {
    /// `x Wᵀ + b`, plus the adapter's `scale · dropout(x) Aᵀ Bᵀ` when the module has one.
    func linear(
        _ weights: LinearWeights, _ x: FloatBuffer, rows: Int,
        adapter: LoRAAdapter?, layer: Int, module: TargetModule, dropout: Dropout?
    ) -> (output: FloatBuffer, adapter: AdapterActivations?) {
        let (inputSize, outputSize) = (weights.inputSize, weights.outputSize)
        let y = weights.forward(x, rows: rows)
        let adapted = addAdapter(
            x, rows: rows, inputSize: inputSize, outputSize: outputSize, into: y.base, ldy: outputSize, adapter: adapter,
            layer: layer, module: module, dropout: dropout)
        return (y, adapted)
    }

    /// Adds the adapter's `scale · dropout(x) Aᵀ Bᵀ` to the `[rows, outputSize]` block at `y` (rows
    /// `ldy` apart) when the module has one; returns what its backward pass needs. `dropout` is nil
    /// outside training.
    func addAdapter(
        _ x: FloatBuffer, rows: Int, inputSize: Int, outputSize: Int, into y: UnsafeMutablePointer<Float>, ldy: Int,
        adapter: LoRAAdapter?, layer: Int, module: TargetModule, dropout: Dropout?
    ) -> AdapterActivations? {
        guard let adapter, let index = adapter.parameterIndex(layer: layer, module: module) else { return nil }

        let rank = adapter.rank
        var input = x
        var mask: FloatBuffer?
        if let dropout {
            let keep = dropout.mask(layer: layer, module: module, rows: rows, width: inputSize)
            input = FloatBuffer(uninitialized: rows * inputSize)
            for position in 0..<(rows * inputSize) { input.base[position] = x.base[position] * keep.base[position] }
            mask = keep
        }
        let down = FloatBuffer(uninitialized: rows * rank)
        adapter.parameters[index].value.withUnsafeBufferPointer { a in
            BLAS.parallelGemm(
                transposeB: true, m: rows, n: rank, k: inputSize,
                input.base, lda: inputSize, a.baseAddress!, ldb: inputSize, down.base, ldc: rank)
        }
        adapter.parameters[index + 1].value.withUnsafeBufferPointer { b in
            BLAS.parallelGemm(
                transposeB: true, m: rows, n: outputSize, k: rank, alpha: adapter.scale,
                down.base, lda: rank, b.baseAddress!, ldb: rank, beta: 1, y, ldc: ldy)
        }
        return AdapterActivations(input: input, mask: mask, down: down)
    }

    /// The gradient of a linear layer's input from `dy`, added to `dx` when given, else in a new
    /// buffer, which it returns; and the adapter's gradients added to its parameters.
    @discardableResult
    func linearBackward(
        _ weights: LinearWeights, dy: FloatBuffer, rows: Int, addingTo dx: FloatBuffer?,
        adapter: inout LoRAAdapter, layer: Int, module: TargetModule, activations: AdapterActivations?
    ) -> FloatBuffer {
        let (inputSize, outputSize) = (weights.inputSize, weights.outputSize)
        let input = weights.inputGradient(dy, rows: rows, addingTo: dx)
        adapterBackward(
            dy: dy.base, ldy: outputSize, rows: rows, inputSize: inputSize, outputSize: outputSize, dx: input,
            adapter: &adapter, layer: layer, module: module, activations: activations)
        return input
    }

    /// The adapter's part of a linear layer's backward pass, from the `[rows, outputSize]` block of
    /// output gradients at `dy` (rows `ldy` apart): its gradients added to its parameters, and its
    /// share of the input gradient added to `dx` when given.
    func adapterBackward(
        dy: UnsafePointer<Float>, ldy: Int, rows: Int, inputSize: Int, outputSize: Int, dx: FloatBuffer?,
        adapter: inout LoRAAdapter, layer: Int, module: TargetModule, activations: AdapterActivations?
    ) {
        guard let activations, let index = adapter.parameterIndex(layer: layer, module: module) else { return }
        let rank = adapter.rank
        let scale = adapter.scale
        // dB += scale · dyᵀ · down
        adapter.parameters[index + 1].gradient.withUnsafeMutableBufferPointer { gradientB in
            BLAS.parallelGemm(
                transposeA: true, m: outputSize, n: rank, k: rows, alpha: scale,
                dy, lda: ldy, activations.down.base, ldb: rank, beta: 1, gradientB.baseAddress!, ldc: rank)
        }
        // dDown = scale · dy · B
        let downGradient = FloatBuffer(uninitialized: rows * rank)
        adapter.parameters[index + 1].value.withUnsafeBufferPointer { b in
            BLAS.parallelGemm(
                m: rows, n: rank, k: outputSize, alpha: scale,
                dy, lda: ldy, b.baseAddress!, ldb: rank, downGradient.base, ldc: rank)
        }
        // dA += dDownᵀ · input
        adapter.parameters[index].gradient.withUnsafeMutableBufferPointer { gradientA in
            BLAS.parallelGemm(
                transposeA: true, m: rank, n: inputSize, k: rows,
                downGradient.base, lda: rank, activations.input.base, ldb: inputSize,
                beta: 1, gradientA.baseAddress!, ldc: inputSize)
        }
        guard let dx else { return }
        // dx += (dDown · A) ⊙ dropout mask
        adapter.parameters[index].value.withUnsafeBufferPointer { a in
            guard let mask = activations.mask else {
                BLAS.parallelGemm(
                    m: rows, n: inputSize, k: rank,
                    downGradient.base, lda: rank, a.baseAddress!, ldb: inputSize, beta: 1, dx.base, ldc: inputSize)
                return
            }
            let dropped = FloatBuffer(uninitialized: rows * inputSize)
            BLAS.parallelGemm(
                m: rows, n: inputSize, k: rank,
                downGradient.base, lda: rank, a.baseAddress!, ldb: inputSize, dropped.base, ldc: inputSize)
            for position in 0..<(rows * inputSize) { dx.base[position] += dropped.base[position] * mask.base[position] }
        }
    }
}

extension LinearWeights {
    /// `x Wᵀ + b` for `rows` rows of `x`: the frozen layer alone.
    func forward(_ x: FloatBuffer, rows: Int) -> FloatBuffer {
        let y = FloatBuffer(uninitialized: rows * outputSize)
        if let forwardPanels {
            forwardPanels.multiply(x.base, rows: rows, lda: inputSize, bias: bias.base, accumulate: false, into: y.base, ldc: outputSize)
            return y
        }
        Kernels.fillRows(y.base, with: bias.base, rows: rows, width: outputSize)
        BLAS.parallelGemm(
            transposeB: true, m: rows, n: outputSize, k: inputSize,
            x.base, lda: inputSize, storedWeight.base, ldb: inputSize, beta: 1, y.base, ldc: outputSize)
        return y
    }

    /// `dy W`, the frozen layer's share of its input gradient, added to `dx` when given, else in
    /// a new buffer; returns the one it wrote.
    @discardableResult
    func inputGradient(_ dy: FloatBuffer, rows: Int, addingTo dx: FloatBuffer? = nil) -> FloatBuffer {
        let out = dx ?? FloatBuffer(uninitialized: rows * inputSize)
        if let backwardPanels {
            backwardPanels.multiply(
                dy.base, rows: rows, lda: outputSize, bias: nil, accumulate: dx != nil, into: out.base, ldc: inputSize)
        } else {
            BLAS.parallelGemm(
                m: rows, n: inputSize, k: outputSize,
                dy.base, lda: outputSize, storedWeight.base, ldb: inputSize, beta: dx == nil ? 0 : 1, out.base, ldc: inputSize)
        }
        return out
    }
}
