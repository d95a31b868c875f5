//! The one rewrite CenterFace's graph needs before ONNX Runtime will run it
//! at any size: `centerface.onnx` stores its input as a fixed 10x3x32x32
//! (and its outputs' shapes to match), and ONNX Runtime refuses any other
//! input. Batch, height and width become named symbols (`dim_param`), the
//! stored intermediate shapes are dropped (ONNX Runtime infers them again),
//! and the bytes go to ONNX Runtime from memory. The graph also lists every
//! weight (initializer) as a graph input, as old exporters did: ONNX Runtime
//! then treats the weights as values a caller may override, so it folds no
//! batch norm into its convolution and fuses nothing around them. Those
//! inputs are dropped (the weights stay as initializers): the coarse look
//! went from about 100 to 40 ms of CPU at 640x480, same outputs to 1e-5.
//! Done at load time in Rust,
//! with the protobuf types tract-onnx already ships: no Python, no second
//! model file.

use std::collections::HashSet;

use prost::Message;
use tract_onnx::pb::tensor_shape_proto::dimension::Value as Dim;
use tract_onnx::pb::type_proto::Value as TypeValue;
use tract_onnx::pb::{ModelProto, ValueInfoProto};

/// The names given to the symbolic axes of NCHW tensors.
const SYMBOLS: [Option<&str>; 4] = [Some("batch"), None, Some("height"), Some("width")];

#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("not an ONNX model: {0}")]
    Decode(#[from] prost::DecodeError),
    #[error("the model has no graph")]
    NoGraph,
    #[error("the graph's input is not a 4-D tensor")]
    Input,
}

/// `model` with the batch, height and width of its input and outputs made
/// symbolic (outputs' height and width named apart: they are a quarter of
/// the input's), and its weights no longer listed as graph inputs.
pub fn symbolic_dims(model: &[u8]) -> Result<Vec<u8>, GraphError> {
    let mut proto = ModelProto::decode(model)?;
    let graph = proto.graph.as_mut().ok_or(GraphError::NoGraph)?;
    let input = graph.input.first_mut().ok_or(GraphError::Input)?;
    if !rename(input, "") {
        return Err(GraphError::Input);
    }
    for output in &mut graph.output {
        rename(output, "_out");
    }
    let weights: HashSet<&str> = graph.initializer.iter().map(|t| t.name.as_str()).collect();
    let inputs = std::mem::take(&mut graph.input);
    graph.input = inputs
        .into_iter()
        .filter(|i| !weights.contains(i.name.as_str()))
        .collect();
    graph.value_info.clear();
    Ok(proto.encode_to_vec())
}

/// Replaces axes 0, 2, 3 of a 4-D value by symbols; false when it is not 4-D.
fn rename(value: &mut ValueInfoProto, suffix: &str) -> bool {
    let Some(TypeValue::TensorType(tensor)) = value.r#type.as_mut().and_then(|t| t.value.as_mut())
    else {
        return false;
    };
    let Some(shape) = tensor.shape.as_mut().filter(|s| s.dim.len() == 4) else {
        return false;
    };
    for (dim, symbol) in shape.dim.iter_mut().zip(SYMBOLS) {
        if let Some(symbol) = symbol {
            let name = if symbol == "batch" {
                symbol.to_owned()
            } else {
                format!("{symbol}{suffix}")
            };
            dim.value = Some(Dim::DimParam(name));
        }
    }
    true
}

/// How many graph inputs the model lists (the image, and on the model as
/// fetched every weight too).
pub fn input_count(model: &[u8]) -> Result<usize, GraphError> {
    let proto = ModelProto::decode(model)?;
    Ok(proto.graph.as_ref().ok_or(GraphError::NoGraph)?.input.len())
}

/// The input's dims as stored: `Ok(n)` for a fixed axis, `Err(name)` for a
/// symbolic one (for tests and diagnostics).
pub fn input_dims(model: &[u8]) -> Result<Vec<Result<i64, String>>, GraphError> {
    let proto = ModelProto::decode(model)?;
    let graph = proto.graph.as_ref().ok_or(GraphError::NoGraph)?;
    let input = graph.input.first().ok_or(GraphError::Input)?;
    let Some(TypeValue::TensorType(tensor)) = input.r#type.as_ref().and_then(|t| t.value.as_ref())
    else {
        return Err(GraphError::Input);
    };
    let shape = tensor.shape.as_ref().ok_or(GraphError::Input)?;
    Ok(shape
        .dim
        .iter()
        .map(|d| match &d.value {
            Some(Dim::DimValue(n)) => Ok(*n),
            Some(Dim::DimParam(name)) => Err(name.clone()),
            None => Err(String::new()),
        })
        .collect())
}
