#include "l3slice/segmenter/unet_bodycomp.h"

#include <fmt/format.h>

#include "l3slice/bodycomp/mask_ops.h"
#include "l3slice/segmenter/tissue_classes.h"

namespace l3 {

MaskImage body_labels_from_classes(const HuImage& slice, const MaskImage& classes, const TissueThresholds& t) {
  MaskImage air(classes.grid, 0);
  for (std::size_t i = 0; i < air.voxels.size(); ++i) air.voxels[i] = slice.voxels[i] <= t.body_hu;
  const MaskImage skin = bodycomp::dilate(air, kSkinBandMm);  // SAT never reaches the outline
  MaskImage out(classes.grid, uint8_t(BodyLabel::outside));
  for (std::size_t i = 0; i < out.voxels.size(); ++i) {
    const int hu = slice.voxels[i];
    BodyLabel l = hu > t.body_hu ? BodyLabel::other : BodyLabel::outside;
    switch (TissueClass(classes.voxels[i])) {
      case TissueClass::muscle:
      case TissueClass::intermuscular_fat:
        if (t.muscle.contains(hu)) l = BodyLabel::muscle;
        else if (t.intermuscular_fat.contains(hu)) l = BodyLabel::intermuscular_fat;
        break;
      case TissueClass::subcutaneous_fat:
        if (t.subcutaneous_fat.contains(hu) && !skin.voxels[i]) l = BodyLabel::subcutaneous_fat;
        break;
      case TissueClass::visceral_fat:
        if (t.visceral_fat.contains(hu)) l = BodyLabel::visceral_fat;
        break;
      case TissueClass::other:
        if (hu >= t.bone_hu) l = BodyLabel::bone;
        break;
    }
    out.voxels[i] = uint8_t(l);
  }
  return out;
}

SliceSegmenter unet_slice_segmenter(std::shared_ptr<LoadedSegmenter> model) {
  return [model](const HuImage& slice, const TissueThresholds& t, const std::string&) {
    torch::NoGradGuard no_grad;
    const torch::Tensor logits = model->net->forward(segmenter_input(slice, model->info.geometry));
    return body_labels_from_classes(slice, classes_on_slice(logits, slice.grid, model->info.geometry), t);
  };
}

std::string unet_method_name(const LoadedSegmenter& model) {
  return fmt::format("{} ({}, weights crc32 {:08x})", kUNetBodyCompMethod, architecture_name(model.info.arch), model.crc32);
}

}  // namespace l3
