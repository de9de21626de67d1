# Warnings for our own targets only; third-party headers are included as SYSTEM.
function(l3slice_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
endfunction()

if(L3SLICE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  # Line tables are all the sanitizers' reports need; full debug info of the libtorch templates
  # makes the build a third slower.
  add_compile_options(-g1)
  add_link_options(-fsanitize=address,undefined)
endif()
