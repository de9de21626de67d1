# Warnings for our own targets only; third-party headers are included as SYSTEM.
function(l3slice_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
endfunction()

if(L3SLICE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  # Line tables are all the sanitizers' reports need; full debug info of the libtorch templates
  # makes the build a third slower. -O1 (after the build type's -O2, so it wins), as the ASan
  # documentation advises: the CI's sanitizer build took 380 s instead of 608, its tests as long.
  add_compile_options(-g1 -O1)
  add_link_options(-fsanitize=address,undefined)
endif()
