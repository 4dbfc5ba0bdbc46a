fn main() {
    containerd_config_builder_web::start();
}
